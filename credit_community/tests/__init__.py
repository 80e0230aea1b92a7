from . import test_tools_identifiers
