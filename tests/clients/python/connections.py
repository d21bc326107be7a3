"""A member's project connections through the official cytomine-python-client; print JSON.

Runs in the client's own virtual environment:
``python connections.py HOST PUBLIC PRIVATE PROJECT USER``.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from cytomine import Cytomine
from cytomine.models.social import ProjectConnectionCollection


def main(host: str, public: str, private: str, project: int, user: int) -> dict[str, Any]:
    with Cytomine(host, public, private, verbose=logging.ERROR):
        listed = ProjectConnectionCollection(project, user).fetch()
        paged = ProjectConnectionCollection(project, user, max=1, offset=1).fetch()
        return {
            "listed": [
                [c.project, c.user, c.os, c.browser, c.browserVersion, c.time is not None]
                for c in listed
            ],
            "newest_first": [c.id for c in listed] == sorted((c.id for c in listed), reverse=True),
            "paged": [c.id for c in paged] == [c.id for c in listed][1:2],
        }


if __name__ == "__main__":
    host, public, private, project, user = sys.argv[1:6]
    print(json.dumps(main(host, public, private, int(project), int(user))))
