from . import credit_litige_report
from . import credit_litige_receivable_report
