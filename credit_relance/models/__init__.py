from . import credit_relance_status
