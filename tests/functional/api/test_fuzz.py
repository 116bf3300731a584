"""A bounded schemathesis run against every API of a private cloud (see
tests/functional/fuzz.py; ``tox -e fuzz`` runs a long one): no 5xx, and every 4xx in the
API's own error format."""
import unittest

from tests.functional import fuzz
from tests.functional.fixtures import private_cloud

MAX_EXAMPLES = 5
SEED = 20261206  # the same cases every run: a failure here reproduces


class FuzzTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        fuzz.schemathesis()  # a backend the test needs
        cls.cloud = private_cloud.Cloud()
        cls.addClassCleanup(cls.cloud.stop)
        cls.cloud.start()

    def test_every_api(self) -> None:
        for api in fuzz.DOCUMENTS:
            with self.subTest(api=api):
                result = fuzz.fuzz(self.cloud, api, MAX_EXAMPLES, seed=SEED)
                self.assertEqual(0, result.returncode, result.stdout[-6000:])
