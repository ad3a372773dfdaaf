"""A web process freezes the objects its first request left (competency_portal/lib/heap.py), so
that later full collections of the garbage collector walk only what each request made."""

import gc
import importlib
import weakref

import pytest
from django.core.signals import request_finished
from django.urls import reverse

import competency_portal.wsgi


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    request_finished.disconnect(dispatch_uid="heap-freeze")
    gc.unfreeze()


@pytest.mark.django_db
def test_a_web_process_freezes_its_heap_after_its_first_request_and_only_then(client, unfrozen):
    importlib.reload(competency_portal.wsgi)  # what a gunicorn worker runs when it starts
    assert gc.get_freeze_count() == 0, "nothing is frozen before a request"

    client.get(reverse("login"))
    frozen = gc.get_freeze_count()
    assert frozen > 10_000, "the modules and what the first request built are frozen"

    kept_by_this_test = [[n] for n in range(1_000)]  # noqa: F841  (alive at the next request)
    client.get(reverse("login"))
    assert gc.get_freeze_count() <= frozen, "later requests freeze nothing more (some are freed)"


class Node:
    pass


@pytest.mark.django_db
def test_garbage_of_the_first_request_is_collected_not_frozen(unfrozen):
    from competency_portal.lib import heap

    heap.freeze_after_first_request()
    node = Node()
    node.itself = node  # garbage that only a collection frees
    gone = weakref.ref(node)
    del node
    request_finished.send(sender=None)
    assert gone() is None, "a cycle left by the first request is collected, not kept frozen"
    assert gc.get_freeze_count() > 0
