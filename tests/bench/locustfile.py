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

from locust import between, task
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


class Coordinator(PlannerUser):
    weight = 2
    username = "coordinator"

    @task(3)
    def case_list(self) -> None:
        self.page("/cases/", "case list")

    @task(3)
    def case_detail(self) -> None:
        self.page(f"/cases/{random.choice(DATA['cases'])}/", "case detail")

    @task(2)
    def wizard_step(self) -> None:
        step = random.choice(DATA["steps"])
        self.page(f"/cases/{random.choice(DATA['cases'])}/step/{step}/", "wizard step")

    @task(1)
    def history(self) -> None:
        self.page(f"/cases/{random.choice(DATA['cases'])}/history/", "case history")


class Oncologist(PlannerUser):
    weight = 2
    username = "oncologist"

    @task(2)
    def case_list(self) -> None:
        self.page("/cases/", "case list")

    @task(2)
    def case_detail(self) -> None:
        self.page(f"/cases/{random.choice(DATA['planned_cases'])}/", "case detail")

    @task(3)
    def review(self) -> None:
        self.page(f"/cases/{random.choice(DATA['planned_cases'])}/step/review/", "review (engine)")

    @task(2)
    def plan(self) -> None:
        self.page(f"/plans/{random.choice(DATA['plans'])}/", "plan detail")

    @task(1)
    def download(self) -> None:
        self.pdf()


class Nurse(PlannerUser):
    weight = 1
    username = "nurse"

    @task(2)
    def worklist(self) -> None:
        self.page("/plans/nurse/", "nurse worklist")

    @task(2)
    def plan(self) -> None:
        self.page(f"/plans/nurse/{random.choice(DATA['plans'])}/", "nurse plan")

    @task(1)
    def download(self) -> None:
        self.pdf()
