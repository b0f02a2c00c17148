"""The background tasks (django-tasks). Their bodies live in her2app.rendering.jobs."""

from django_tasks import task

from her2app.rendering import jobs


@task()
def render_pdf(job_id: int) -> str:
    return jobs.run_job(job_id)


@task()
def sweep_pdfs() -> int:
    found = jobs.sweep()
    jobs.schedule_next_sweep()
    return found
