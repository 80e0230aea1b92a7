from . import credit_relance_outstanding_report
from . import credit_relance_effectiveness_report
