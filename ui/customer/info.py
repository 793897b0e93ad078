"""Service information: the topics (new business, claims, claim documents, commitments,
hotline, opening hours), then one topic's text. The content comes from ``resources/``
and the branch settings through the application layer."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from kiosk.app import AppContext
from kiosk.app.information import InfoTopic, ServiceInformation, service_information
from ui.customer.page import Page
from ui.customer.states import State
from ui.customer.widgets import TileButton, pick
from ui.tasks import run_task


class InfoScreen(Page):
    """One tile per topic."""

    def __init__(self, app: AppContext) -> None:
        super().__init__()
        self.app = app
        self.information: ServiceInformation | None = None
        self.tiles: dict[str, TileButton] = {}
        self.retranslate()

    def enter(self, **params: Any) -> None:
        if self.information is None:
            run_task(service_information, self.app, owner=self, on_result=self._show,
                     on_error=self.failed, name="service information")

    def _show(self, information: ServiceInformation) -> None:
        self.information = information
        for topic in information.topics:
            tile = TileButton()
            tile.setObjectName(f"topic-{topic.code}")
            tile.set_icon_name(f"info-{topic.code}")
            tile.clicked.connect(lambda _=False, t=topic: self.move_to(State.INFO_TOPIC, topic=t))
            self.body.addWidget(tile)
            tile.show()  # at once, not at the next turn of the event loop
            self.tiles[topic.code] = tile
        self.body.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        assert self.header is not None
        self.header.set_title(self.tr("Service information"))
        self.intro.setText(self.tr("Touch a topic to read it.") if self.information
                           else self.tr("Loading..."))
        for topic in self.information.topics if self.information else ():
            self.tiles[topic.code].set_texts(pick(topic.title_zh, topic.title_en))


class InfoTopicScreen(Page):
    """One topic's lines, large and wrapped."""

    def __init__(self) -> None:
        super().__init__()
        self.topic: InfoTopic | None = None
        self.text = QLabel()
        self.text.setObjectName("topic-text")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.body.addWidget(self.text)
        self.body.addStretch(1)
        self.retranslate()

    def enter(self, **params: Any) -> None:
        topic = params.get("topic")
        if isinstance(topic, InfoTopic):
            self.topic = topic
            self.scroller.verticalScrollBar().setValue(0)
        self.retranslate()

    def retranslate(self) -> None:
        assert self.header is not None
        topic = self.topic
        self.header.set_title(pick(topic.title_zh, topic.title_en) if topic
                              else self.tr("Service information"))
        self.text.setText("\n\n".join(pick("\n".join(topic.lines_zh), "\n".join(topic.lines_en))
                                      .split("\n")) if topic else "")
