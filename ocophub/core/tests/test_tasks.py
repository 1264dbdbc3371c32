"""Background tasks: how a task is written, enqueued and run (django-tasks)."""

from django_tasks import TaskResultStatus, task
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from ocophub.core.text import fold


# A task is a module-level function (the worker imports it by its dotted path) whose
# arguments and return value are JSON: pass ids and strings, never model instances.
@task()
def fold_names(names: list[str]) -> list[str]:
    return [fold(name) for name in names]


def test_a_task_enqueued_in_tests_runs_at_once_and_keeps_its_return_value():
    result = fold_names.enqueue(["Mật ong Thanh An", "Chè Shan tuyết"])

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == ["mat ong thanh an", "che shan tuyet"]


def test_outside_tests_a_task_waits_in_the_database_until_the_worker_runs_it(settings, db):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    result = fold_names.enqueue(["Bưởi Đoan Hùng"])

    queued = DBTaskResult.objects.get(id=result.id)
    assert queued.status == TaskResultStatus.READY
    assert queued.task_path == "ocophub.core.tests.test_tasks.fold_names"

    # What `manage.py db_worker` does with each task it takes from the queue.
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
    )
    worker.run_task(queued)

    done = fold_names.get_result(result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value == ["buoi doan hung"]
