from . import credit_relance_kpi
from . import credit_relance_quarterly_review
