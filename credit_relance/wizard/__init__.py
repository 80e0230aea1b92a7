from . import credit_relance_history_import
from . import credit_relance_review_wizard
