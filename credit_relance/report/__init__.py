from . import credit_relance_kpi_ratios
from . import credit_relance_kpi
from . import credit_relance_quarterly_review
from . import credit_relance_outstanding_report
from . import credit_relance_effectiveness_report
from . import credit_relance_kpi_monthly
