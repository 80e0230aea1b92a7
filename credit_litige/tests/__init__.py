from . import test_credit_litige_reason
