from . import test_credit_litige_reason
from . import test_tools
from . import test_credit_litige
from . import test_credit_litige_handover
from . import test_credit_litige_report
from . import test_security
from . import test_portal
from . import test_credit_litige_views
