"""Create the people the benchmarks sign in as. Run by bench/harness.py in
the throwaway environment, after migrate, load_instruments and load_demo;
prints one JSON object on its last line of output.

One health-check assessment for a demo organisation, started by its admin,
with N new members of that organisation added as respondents (each with a
perspective), so that each can save their own answers through the web form.
"""

from __future__ import annotations

import argparse
import json
import os


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--respondents", type=int, default=20)
    parser.add_argument("--organisation", default="eastmere-carers-centre")
    parser.add_argument("--instrument", default="health-check")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from personfirst.core.access.models import RoleGrant, RoleName
    from personfirst.core.accounts.models import User
    from personfirst.core.organisations.models import Organisation
    from personfirst.demo import area
    from personfirst.readiness.assessments import services
    from personfirst.readiness.assessments.models import Instrument, Perspective

    organisation = Organisation.objects.get(slug=args.organisation)
    lead = User.objects.get(email="admin@carers.example")
    instrument = Instrument.objects.get(key=args.instrument)
    perspectives = [value for value, _label in Perspective.choices]
    # One PBKDF2 hash for everyone: hashing it N times would only slow the set-up.
    password_hash = make_password(area.PASSWORD)
    emails = []
    with transaction.atomic():
        assessment = services.start(organisation=organisation, instrument=instrument, by=lead)
        for n in range(1, args.respondents + 1):
            email = f"bench-respondent-{n:02d}@bench.example"
            user = User(email=email, full_name=f"Bench Respondent {n:02d}", password=password_hash)
            user.save()
            RoleGrant.objects.create(user=user, organisation=organisation, role=RoleName.ORGANISATION_MEMBER)
            services.add_respondent(
                assessment=assessment, user=user, perspective=perspectives[(n - 1) % len(perspectives)], by=lead
            )
            emails.append(email)
    print(
        json.dumps(
            {
                "organisation": organisation.slug,
                "assessment": assessment.pk,
                "instrument": instrument.key,
                "password": area.PASSWORD,
                "emails": emails,
            }
        )
    )


if __name__ == "__main__":
    main()
