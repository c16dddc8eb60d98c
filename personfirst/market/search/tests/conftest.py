from personfirst.market.tests.fixtures import *  # noqa: F403
