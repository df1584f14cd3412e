"""Steps the journeys share: opening a page, watching a form being sent, answering a dialog."""

from __future__ import annotations

from playwright.sync_api import Dialog, Page


def visit(journey, path: str) -> None:
    """Open `path` of the server; it must answer 200."""
    response = journey.page.goto(journey.base + path)
    assert response is not None and response.status == 200, (
        f"{path}: {response and response.status}"
    )


def signed_in(journey, username: str, path: str | None = None) -> Page:
    """Log `username` in and, if given, open `path`; the journey's page."""
    journey.login(username)
    if path is not None:
        visit(journey, path)
    return journey.page


def watch_submit(page: Page) -> None:
    """Note, in the page's session storage, how the form looked once its submit was handled.

    The listener sits on window, so it runs after the page's own (on document); the note
    survives the navigation that the submission starts.
    """
    page.evaluate(
        """() => window.addEventListener("submit", (event) => {
            const form = event.target;
            const button = form.querySelector("button[type='submit']");
            sessionStorage.setItem("e2e-submit", JSON.stringify({
                sent: !event.defaultPrevented,
                busy: form.getAttribute("aria-busy") === "true",
                disabled: button.disabled,
                label: button.textContent.trim(),
                status: document.getElementById("busy-status").textContent,
            }));
        })"""
    )


def submitted(page: Page) -> dict | None:
    """The note watch_submit left of the last submit, None before any."""
    return page.evaluate("() => JSON.parse(sessionStorage.getItem('e2e-submit'))")


def posts_sent(page: Page) -> list[str]:
    """The URLs of the POST requests the page sends from now on, as they are sent."""
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    return posts


def answer_next_dialog(page: Page, accept: bool, questions: list[str] | None = None) -> None:
    """Accept or dismiss the next dialog the page opens, noting its question in `questions`."""

    def handle(dialog: Dialog) -> None:
        if questions is not None:
            questions.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.once("dialog", handle)


def send_form(page: Page, button: str, *, confirm: bool, questions: list[str] | None = None):
    """Press the submit button named `button`, watched (see watch_submit), accepting or
    dismissing the question the page asks first."""
    watch_submit(page)
    answer_next_dialog(page, confirm, questions)
    page.get_by_role("button", name=button).click()


def shown_busy(message: str) -> dict:
    """The note watch_submit leaves of a form sent while it says `message` (data-busy)."""
    return {"sent": True, "busy": True, "disabled": True, "label": message, "status": message}
