from . import credit_relance_call_result
from . import credit_relance_pause
from . import credit_relance_history_export
from . import credit_relance_history_import
from . import credit_relance_review_wizard
