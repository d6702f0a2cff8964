"""What a procedure offers, read from the catalogue: the submission channels and the result delivery methods
(the apply page, the counter intake and the services all ask the procedure)."""

import pytest

from procedures.constants import Channel, DeliveryMethod
from procedures.models import Procedure


@pytest.mark.parametrize(
    ("flags", "channels"),
    [
        (
            {"accepts_online": True, "accepts_counter": True, "accepts_postal": True},
            [Channel.ONLINE, Channel.COUNTER, Channel.POSTAL],
        ),
        ({"accepts_online": False, "accepts_counter": True, "accepts_postal": False}, [Channel.COUNTER]),
        ({"accepts_online": True, "accepts_counter": False, "accepts_postal": True}, [Channel.ONLINE, Channel.POSTAL]),
    ],
)
def test_channels_are_the_accepted_ones_in_a_fixed_order(flags, channels):
    assert Procedure(**flags).channels == channels


@pytest.mark.parametrize(
    ("flags", "methods"),
    [
        (
            {"delivers_at_counter": True, "delivers_online": True, "delivers_by_post": True},
            [DeliveryMethod.COUNTER, DeliveryMethod.ONLINE, DeliveryMethod.POSTAL],
        ),
        ({"delivers_at_counter": False, "delivers_online": True, "delivers_by_post": False}, [DeliveryMethod.ONLINE]),
        (
            {"delivers_at_counter": False, "delivers_online": True, "delivers_by_post": True},
            [DeliveryMethod.ONLINE, DeliveryMethod.POSTAL],
        ),
    ],
)
def test_delivery_methods_are_the_offered_ones_counter_first(flags, methods):
    assert Procedure(**flags).delivery_methods == methods


def test_the_model_defaults_offer_every_channel_but_post_and_the_counter_only():
    procedure = Procedure()

    assert procedure.channels == [Channel.ONLINE, Channel.COUNTER]
    assert procedure.delivery_methods == [DeliveryMethod.COUNTER]
