"""Admin pages (系统管理): units, users, API tokens, routing rules, time limits, calendar days, model status.

Views only parse the form and call a use case (responder.directory / responder.admin_service), each of
which validates, writes its audit event and commits.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from sqlalchemy import extract, or_, select

from responder import admin_service as admin
from responder import directory
from responder.analysis import pipeline, topics
from responder.errors import DomainError
from responder.extensions import db
from responder.models import ROLES, TOKEN_ROLES, ApiToken, CalendarDay, RoutingRule, TimeLimitPolicy, Unit, User
from responder.validation import page_number
from responder.web.actions import form_body, perform
from responder.web.guards import principal, role_required
from responder.workflow.calendar import library_years

bp = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 30
MODEL_CARD = topics.MODEL_PATH.parent / "MODEL_CARD.md"


@bp.before_request
@role_required("admin")
def _admins_only():
    """Every page here is for admins (role_required also sends the signed-out to /login)."""


def _actor() -> str:
    return principal().actor


def _page(query):
    return db.paginate(query, page=page_number(request.args.get("page")), per_page=PER_PAGE, error_out=False)


def _unit_names() -> list[str]:
    return list(db.session.scalars(select(Unit.name).where(Unit.active.is_(True)).order_by(Unit.name)))


@bp.get("/")
def home():
    """Links to each section and the analysis model's status."""
    try:
        card = [line for line in MODEL_CARD.read_text(encoding="utf-8").splitlines() if line.strip()][:4]
    except OSError:
        card = ["（未找到模型说明 MODEL_CARD.md）"]
    return render_template("admin/home.html", model_version=pipeline.model_version(), card=card,
                           stats=admin.analysis_stats())


# ---- units (责任单位) -------------------------------------------------------------------------------

@bp.get("/units")
def units():
    """The unit tree (or, with ?q=, the units whose name or alias matches)."""
    q = (request.args.get("q") or "").strip()
    everyone = list(db.session.scalars(select(Unit).order_by(Unit.name)))
    if q:
        found = [u for u in everyone if q in u.name or any(q in a for a in (u.aliases or []))]
        return render_template("admin/units.html", rows=[(u, 0) for u in found], q=q, names=_unit_names())
    children: dict[int | None, list[Unit]] = {}
    for unit in everyone:
        children.setdefault(unit.parent_id, []).append(unit)
    rows: list[tuple[Unit, int]] = []

    def walk(parent_id, depth):
        for unit in children.get(parent_id, []):
            rows.append((unit, depth))
            if depth < 20:  # a cycle entered by hand must not hang the page
                walk(unit.id, depth + 1)

    walk(None, 0)
    return render_template("admin/units.html", rows=rows, q=q, names=_unit_names())


@bp.post("/units")
def unit_create():
    form = form_body()
    return perform(lambda: directory.ensure_unit(form.get("name", ""), parent=form.get("parent"),
                                                 aliases=admin.split_words(form.get("aliases")), actor=_actor()),
                   "单位已保存", url_for("admin.units"))


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
def unit_edit(unit_id: int):
    unit = db.session.get(Unit, unit_id) or abort(404)
    if request.method == "POST":
        form = form_body()
        return perform(lambda: admin.update_unit(
            unit_id, aliases=form.get("aliases"), webhook_url=form.get("webhook_url"),
            webhook_secret=form.get("webhook_secret"), clear_secret=form.get("clear_secret") == "1",
            actor=_actor()), "单位设置已保存", url_for("admin.unit_edit", unit_id=unit_id))
    return render_template("admin/unit_edit.html", unit=unit)


# ---- users -------------------------------------------------------------------------------------------

@bp.get("/users")
def users():
    q = (request.args.get("q") or "").strip()
    query = select(User).order_by(User.username)
    if q:
        query = query.where(or_(User.username.contains(q), User.display_name.contains(q)))
    return render_template("admin/users.html", page=_page(query), q=q, roles=ROLES, names=_unit_names())


@bp.post("/users")
def user_create():
    form = form_body()
    return perform(lambda: directory.create_user(form.get("username", ""), form.get("role", ""), form.get("unit"),
                                                 request.form.get("password", ""),
                                                 display_name=form.get("display_name", ""), actor=_actor()),
                   "用户已创建", url_for("admin.users"))


@bp.post("/users/<int:user_id>/active")
def user_active(user_id: int):
    active = request.form.get("active") == "1"
    return perform(lambda: admin.set_user_active(user_id, active, actor=_actor(), actor_id=principal().ref_id),
                   "用户已启用" if active else "用户已停用", url_for("admin.users"))


@bp.post("/users/<int:user_id>/password")
def user_password(user_id: int):
    return perform(lambda: admin.reset_password(user_id, request.form.get("password"), actor=_actor()),
                   "密码已重置", url_for("admin.users"))


# ---- API tokens --------------------------------------------------------------------------------------

@bp.get("/tokens")
def tokens():
    query = select(ApiToken).order_by(ApiToken.revoked_at.is_not(None), ApiToken.name)
    return render_template("admin/tokens.html", page=_page(query), roles=TOKEN_ROLES, names=_unit_names())


@bp.post("/tokens")
def token_create():
    """Issue a token and show it once; the database keeps only its digest."""
    form = form_body()
    try:
        token, plain = directory.create_token(form.get("name", ""), form.get("role", ""), form.get("unit"),
                                              actor=_actor())
    except DomainError as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return redirect(url_for("admin.tokens"))
    response = make_response(render_template("admin/token_created.html", token=token, plain=plain))
    response.headers["Cache-Control"] = "no-store"  # the token must not linger in any cache
    return response


@bp.post("/tokens/<int:token_id>/revoke")
def token_revoke(token_id: int):
    return perform(lambda: admin.revoke_token(token_id, actor=_actor()), "令牌已吊销", url_for("admin.tokens"))


# ---- routing rules (派单规则) ------------------------------------------------------------------------

@bp.get("/rules")
def rules():
    query = select(RoutingRule).order_by(RoutingRule.active.desc(), RoutingRule.priority.desc(), RoutingRule.id)
    return render_template("admin/rules.html", page=_page(query))


@bp.route("/rules/new", methods=["GET", "POST"])
@bp.route("/rules/<int:rule_id>", methods=["GET", "POST"])
def rule_form(rule_id: int | None = None):
    rule = (db.session.get(RoutingRule, rule_id) or abort(404)) if rule_id else None
    if request.method == "POST":
        form = form_body()
        return perform(lambda: admin.save_rule(rule_id, form, actor=_actor()), "派单规则已保存",
                       url_for("admin.rules"))
    return render_template("admin/rule_form.html", rule=rule, names=_unit_names(), topics=topics.LABELS)


@bp.post("/rules/<int:rule_id>/active")
def rule_active(rule_id: int):
    active = request.form.get("active") == "1"
    return perform(lambda: admin.set_rule_active(rule_id, active, actor=_actor()),
                   "规则已启用" if active else "规则已停用", url_for("admin.rules"))


# ---- time-limit policies (办理时限) -------------------------------------------------------------------

@bp.get("/policies")
def policies():
    rows = db.session.scalars(select(TimeLimitPolicy).order_by(TimeLimitPolicy.kind, TimeLimitPolicy.id))
    return render_template("admin/policies.html", rows=list(rows))


@bp.post("/policies/<int:policy_id>")
def policy_edit(policy_id: int):
    form = dict(request.form)
    return perform(lambda: admin.update_policy(policy_id, form, actor=_actor()), "时限已保存",
                   url_for("admin.policies"))


@bp.post("/policies/seed")
def policy_seed():
    return perform(lambda: admin.seed_default_policies(actor=_actor()), "已载入默认时限", url_for("admin.policies"))


# ---- calendar days (节假日与调休) ----------------------------------------------------------------------

@bp.get("/calendar")
def calendar():
    year = request.args.get("year", date.today().year + 1, type=int)
    rows = db.session.scalars(select(CalendarDay).where(extract("year", CalendarDay.day) == year)
                              .order_by(CalendarDay.day))
    years = sorted(library_years())
    return render_template("admin/calendar.html", rows=list(rows), year=year, library_known=year in years,
                           library_last=years[-1] if years else None)


@bp.post("/calendar")
def calendar_add():
    form = form_body()
    year = (form.get("day") or "")[:4]
    back = url_for("admin.calendar", year=year) if year.isdigit() else url_for("admin.calendar")
    return perform(lambda: admin.add_calendar_day(form.get("day"), form.get("kind"), form.get("note"),
                                                  actor=_actor()), "日期已录入", back)


@bp.post("/calendar/<day>/delete")
def calendar_delete(day: str):
    return perform(lambda: admin.delete_calendar_day(day, actor=_actor()), "日期已删除",
                   url_for("admin.calendar", year=day[:4] if day[:4].isdigit() else None))


from responder.web import admin_lexicon  # noqa: E402, F401  (its routes live on this blueprint)
