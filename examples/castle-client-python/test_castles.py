"""Runs against an entente mock of castle-service:

    entente record --mock castle-service -- python3 -m unittest

entente starts the mock, waits until it listens and passes its URL in
ENTENTE_MOCK_URL_CASTLE_SERVICE; what these tests exchange becomes
castle-client-py's contract when they pass.
"""
import os
import unittest

from castles import CastleClient


class CastleClientTest(unittest.TestCase):
    def setUp(self):
        self.client = CastleClient(os.environ["ENTENTE_MOCK_URL_CASTLE_SERVICE"])

    def test_lists_castle_names(self):
        names = self.client.castle_names()
        self.assertTrue(all(isinstance(name, str) for name in names))


if __name__ == "__main__":
    unittest.main()
