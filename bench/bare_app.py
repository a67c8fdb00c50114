"""The bare Textual app the cockpit benchmarks compare against: Header, Label, Footer."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Label


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("bare")
        yield Footer()


if __name__ == "__main__":
    BareApp().run()
