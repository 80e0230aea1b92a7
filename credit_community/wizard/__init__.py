from . import credit_community_member_key
from . import credit_community_preview
