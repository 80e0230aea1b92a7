from . import credit_litige_reason
