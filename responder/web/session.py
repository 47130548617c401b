"""Sign-in and sign-out (Flask-Login sessions, CSRF-protected form)."""

from __future__ import annotations

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from responder.auth.ratelimit import TooManyRequests
from responder.auth.signin import SignInRefused, sign_in
from responder.extensions import db, login_manager
from responder.models import User
from responder.web import web_bp


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=80)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=200)])


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect after sign-in is a phishing aid."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("web.home")


@web_bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = sign_in(form.username.data, form.password.data, request.remote_addr)
        except SignInRefused as refused:
            flash(refused.message, "error")
            return render_template("web/login.html", form=form), 401
        except TooManyRequests as limited:
            flash(limited.message, "error")
            return render_template("web/login.html", form=form), 429, {"Retry-After": str(limited.retry_after)}
        session.clear()  # a fresh session on sign-in: no fixation
        g.pop("csrf_token", None)  # and a fresh CSRF token to go with it
        login_user(user)
        return redirect(_safe_next(request.args.get("next")))
    return render_template("web/login.html", form=form), 422 if form.errors else 200


@web_bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("web.login"))


HOMES = {"operator": "operator.queue", "unit": "unit.inbox", "supervisor": "supervisor.desk", "admin": "admin.home"}


@web_bp.get("/")
def home():
    """Everyone starts on their role's home page."""
    if not current_user.is_authenticated:
        return redirect(url_for("web.login"))
    endpoint = HOMES.get(current_user.role)
    return redirect(url_for(endpoint) if endpoint in current_app.view_functions else url_for("web.messages"))
