"""All factory_boy factories of the test suite, one module per app, re-exported here."""

from .accounts import *  # noqa: F403
from .applications import *  # noqa: F403
from .events import *  # noqa: F403
from .notifications import *  # noqa: F403
from .places import *  # noqa: F403
from .programmes import *  # noqa: F403
from .questionnaires import *  # noqa: F403
