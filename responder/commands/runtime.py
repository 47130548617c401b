"""Running the system: demo, serve, worker, beat, sweep."""

from __future__ import annotations

import json
import os

import click
from flask import current_app
from flask.cli import with_appcontext


def _serve(host: str, port: int, workers: int | None = None) -> None:
    """Serve with gunicorn (threads per worker), each worker building its own app."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers or int(os.environ.get("WEB_CONCURRENCY", "2")))
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", int(os.environ.get("RESPONDER_THREADS", "8")))
            self.cfg.set("timeout", 60)
            self.cfg.set("accesslog", os.environ.get("RESPONDER_ACCESS_LOG") or None)

        def load(self):
            from responder.app import create_app

            return create_app()

    Server().run()


@click.command("serve", help="按 DATABASE_URL / REDIS_URL 的配置提供服务（gunicorn）")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", type=int, help="进程数（默认 WEB_CONCURRENCY 或 2）")
def serve_command(host, port, workers):
    _serve(host, port, workers)


@click.command("demo", help="内置默认（SQLite、任务在进程内执行）：建库、迁移、载入演示数据并启动服务")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="只准备数据，不启动服务")
@with_appcontext
def demo_command(host, port, no_serve):
    from responder.demo.loader import load_demo

    summary = load_demo()
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104  printing a reachable URL
    url = f"http://{shown_host}:{port}/"
    click.echo(f"演示数据：{summary['units']} 个单位，{summary['messages']} 件诉求（新载入 {summary['created']} 件），"
               f"已研判 {summary['analyzed']} 件，已派单或办结 {summary['dispatched']} 件。")
    story = summary["story"]
    if any(story.values()):
        progress = ("办理进度：签收 {accepted} 件，答复 {replied} 件，审核发布 {published} 件，回访 {called_back} 件；"
                    "并单 {merged}、无效 {invalid}、直接答复 {answered}、退单 {returned}、改派 {redispatched}、"
                    "延期 {extensions}。")
        click.echo(progress.format(**story))
    click.echo("演示账号（密码均为 %s）：" % summary["password"])
    for user in summary["users"]:
        click.echo(f"  {user['username']:<12} {user['role']:<10} {user.get('unit') or ''}")
    click.echo(f"演示 API 令牌（接入方 integration）：{summary['token']}")
    click.echo(f"数据库：{current_app.config['SQLALCHEMY_DATABASE_URI']}")
    if no_serve:
        click.echo(f"未启动服务；运行 `responder demo` 后打开 {url}")
        return
    click.echo(f"请在浏览器打开：{url}")
    _serve(host, port, workers=1)


def _celery():
    if not current_app.config.get("REDIS_URL"):
        raise click.UsageError("需要设置 REDIS_URL（例如 redis://127.0.0.1:6379/0）才能启动后台进程")
    from workers.main import celery

    return celery


@click.command("worker", context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
               help="启动 Celery 工作进程（需 REDIS_URL），其余参数原样交给 celery worker")
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
@with_appcontext
def worker_command(celery_args):
    _celery().worker_main(["worker", "--loglevel=INFO", *celery_args])


@click.command("beat", context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
               help="启动定时调度（需 REDIS_URL）")
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
@with_appcontext
def beat_command(celery_args):
    schedule = os.path.join(current_app.instance_path, "celerybeat-schedule")
    os.makedirs(current_app.instance_path, exist_ok=True)
    _celery().start(["beat", "--loglevel=INFO", "--schedule", schedule, *celery_args])


@click.command("sweep", help="立即执行一次全部定时清扫（到期、提醒、滞留重排、热点）")
@with_appcontext
def sweep_command():
    from responder.workflow.sweeps import run_all

    click.echo(json.dumps(run_all(), ensure_ascii=False))
