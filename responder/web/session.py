"""Sign-in and sign-out (Flask-Login sessions, CSRF-protected form)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.security import check_password_hash
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from responder.audit import record
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
    return url_for("web.messages")


@web_bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data.strip()))
        if user and user.active and user.password_hash and check_password_hash(user.password_hash,
                                                                                 form.password.data):
            login_user(user)
            record(f"user:{user.username}", "login", subject_type="user", subject_id=user.id)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")))
        flash("用户名或密码不正确", "error")
        return render_template("web/login.html", form=form), 401
    return render_template("web/login.html", form=form), 422 if form.errors else 200


@web_bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("web.login"))


@web_bp.get("/")
def home():
    if not current_user.is_authenticated:
        return redirect(url_for("web.login"))
    return redirect(url_for("web.messages"))
