"""Instagram passes the provider contract (both logins) against an in-memory account, and
publishes, comments and deletes there through the container flow."""

from __future__ import annotations

import pytest

from socialkit.client import Client
from socialkit.errors import NotFound
from socialkit.models import Draft, MediaUpload
from socialkit.platform import Capability, Platform
from socialkit.testing import PlatformContract

from ..meta.meta_support import FAST
from .instagram_fake import FakeInstagram
from .instagram_support import make

PHOTO = MediaUpload(url="https://cdn.example.com/spring.jpg")


class TestInstagramContract(PlatformContract):
    @pytest.fixture
    def platform(self) -> Platform:
        return make(app_secret="app-secret-0123456789")

    @pytest.fixture
    def client(self, platform: Platform) -> Client:
        return Client(platform, transport=FakeInstagram().transport(), retry=FAST)


class TestInstagramLoginContract(PlatformContract):
    @pytest.fixture
    def platform(self) -> Platform:
        return make(login="instagram")

    @pytest.fixture
    def client(self, platform: Platform) -> Client:
        fake = FakeInstagram(host="graph.instagram.com")
        return Client(platform, transport=fake.transport(), retry=FAST)


@pytest.fixture
def client() -> Client:
    return Client(make(), transport=FakeInstagram(seeded=0).transport(), retry=FAST)


def test_publish_read_back_and_delete(client: Client) -> None:
    post = client.publish(Draft(text="Contract: spring blend", media=(PHOTO,)))
    assert client.get_post(post.id).text == "Contract: spring blend"
    client.delete_post(post.id)
    with pytest.raises(NotFound):
        client.get_post(post.id)


def test_a_reply_to_a_comment_shows_under_it(client: Client) -> None:
    post = client.publish(Draft(text="Ask us anything", media=(PHOTO,)))
    question = client.reply(post, "When do you open?")
    answer = client.reply(question, "At 7!")
    found = {c.id: c.reply_to_id for c in client.comments(post.id)}
    assert found == {question.id: post.id, answer.id: question.id}


def test_capabilities_match_each_login() -> None:
    facebook_login, instagram_login = make().capabilities, make(login="instagram").capabilities
    assert facebook_login - instagram_login == {Capability.DELETE, Capability.SEARCH}
    assert (
        not {
            Capability.PUBLISH_TEXT,
            Capability.PUBLISH_THREAD,
            Capability.EDIT,
            Capability.REACT,
            Capability.REPOST,
        }
        & facebook_login
    )
