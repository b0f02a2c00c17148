"""Realistic planner traffic for `make loadtest` (run by tests/bench/loadtest.py).

Each simulated user signs in through the login form once, then works like
its role: coordinators browse cases and wizard steps, oncologists review
cases, open plans and download PDFs, nurses use the worklist and print PDFs.
LOADTEST_DATA names a JSON file with the users and object ids to visit.
"""

import json
import os
import random
import re

from locust import between
from locust.contrib.fasthttp import FastHttpUser

DATA = json.loads(open(os.environ["LOADTEST_DATA"]).read())
# Seconds a user pauses between pages ("MIN,MAX"); 1-3 s is a busy clinic, far busier than reading a plan.
THINK = tuple(float(s) for s in os.environ.get("LOADTEST_THINK", "1,3").split(","))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class PlannerUser(FastHttpUser):
    abstract = True
    wait_time = between(*THINK)
    username = ""

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(page.text or "")
        with self.client.post(
            "/accounts/login/",
            data={"username": self.username, "password": DATA["passwords"][self.username],
                  "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in", allow_redirects=False, catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}, not a redirect")

    def page(self, path: str, name: str, must_contain: str = "</html>") -> None:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{path} answered {response.status_code}")
            elif must_contain not in (response.text or ""):
                response.failure(f"{path} lacks {must_contain!r}")

    def pdf(self) -> None:
        document = random.choice(DATA["documents"])
        with self.client.get(f"/plans/documents/{document}/", name="plan PDF", catch_response=True) as response:
            if response.status_code != 200 or not (response.content or b"").startswith(b"%PDF"):
                response.failure(f"document {document}: {response.status_code}, not a PDF")


def visit(name: str, path: str, *ids: str):
    """A task that opens one page; each {} in `path` is a random id from the DATA list named in `ids`."""

    def open_page(user: PlannerUser) -> None:
        user.page(path.format(*(random.choice(DATA[key]) for key in ids)), name)

    return open_page


def download(user: PlannerUser) -> None:
    user.pdf()


case_list = visit("case list", "/cases/")
case_detail = visit("case detail", "/cases/{}/", "cases")
planned_case_detail = visit("case detail", "/cases/{}/", "planned_cases")
wizard_step = visit("wizard step", "/cases/{}/step/{}/", "cases", "steps")
case_history = visit("case history", "/cases/{}/history/", "cases")
review = visit("review (engine)", "/cases/{}/step/review/", "planned_cases")
plan_detail = visit("plan detail", "/plans/{}/", "plans")
nurse_worklist = visit("nurse worklist", "/plans/nurse/")
nurse_plan = visit("nurse plan", "/plans/nurse/{}/", "plans")


class Coordinator(PlannerUser):
    weight = 2
    username = "coordinator"
    tasks = {case_list: 3, case_detail: 3, wizard_step: 2, case_history: 1}


class Oncologist(PlannerUser):
    weight = 2
    username = "oncologist"
    tasks = {case_list: 2, planned_case_detail: 2, review: 3, plan_detail: 2, download: 1}


class Nurse(PlannerUser):
    weight = 1
    username = "nurse"
    tasks = {nurse_worklist: 2, nurse_plan: 2, download: 1}
