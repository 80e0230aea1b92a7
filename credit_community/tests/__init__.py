from . import test_tools_identifiers
from . import test_tools_score
from . import test_tools_aggregate
from . import test_tools_payload
from . import test_community_api
from . import test_community_member
from . import test_community_faults
