"""A tiny client for castle-service, standard library only."""
import json
import urllib.request


class CastleClient:
    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")

    def castle_names(self):
        with urllib.request.urlopen(f"{self.base_url}/castles") as response:
            return [castle["name"] for castle in json.load(response)]
