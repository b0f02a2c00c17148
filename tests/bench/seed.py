"""Seed a benchmark database: one user per clinical role and N synthetic cases.

    DJANGO_SETTINGS_MODULE=tests.bench.settings DATABASE_URL=... python -m tests.bench.seed --cases 1000

Prints one JSON object: the users' credentials and the URLs to measure
(the first synthetic case is a complete, refractory HER2-positive case).
Runs in its own process so the benchmark runner never imports Django settings.
"""

from __future__ import annotations

import argparse
import json

import django

BENCH_PASSWORD = "bench-only-password-2026"
ROLE_USERS = {"coordinator": "bench-coordinator", "oncologist": "bench-oncologist", "nurse": "bench-nurse"}


def seed(case_count: int) -> dict:
    from django.contrib.auth.models import Group, User
    from django.urls import reverse

    from her2app.cases.management.commands.generate_cases import generate_cases, next_mrn_number
    from her2app.cases.models import Case

    for role, username in ROLE_USERS.items():
        user = User.objects.create_user(username=username, password=BENCH_PASSWORD, first_name="Bench",
                                        last_name=role.capitalize())
        user.groups.add(Group.objects.get(name=role))
    first_number = next_mrn_number()
    generate_cases(case_count)
    case = Case.objects.select_related("patient").get(patient__mrn=f"SYN{first_number:08d}")
    return {
        "password": BENCH_PASSWORD,
        "users": ROLE_USERS,
        "case": {"pk": case.pk, "mrn": case.patient.mrn, "family_name": case.patient.family_name},
        "urls": {
            "login": reverse("login"),
            "floor": reverse("bench_floor"),
            "signed_in_floor": reverse("bench_floor_signed_in"),
            "case_list": reverse("cases:list"),
            "case_search": reverse("cases:list") + f"?q={case.patient.mrn}",
            "case_detail": reverse("cases:detail", args=[case.pk]),
            "review": reverse("cases:step", args=[case.pk, "review"]),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1000)
    args = parser.parse_args()
    django.setup()
    print(json.dumps(seed(args.cases)))


if __name__ == "__main__":
    main()
