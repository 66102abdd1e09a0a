"""A duo's page writes its dates as the reader's language does (CLDR): Arabic month names on an
Arabic page, genitive months on a Ukrainian one; the machine-readable date stays ISO."""

import datetime

import pytest
from babel import Locale
from babel import dates as babel_dates
from django.urls import reverse
from django.utils import timezone, translation

from binome.duos.models import Meeting
from binome.testing import make_duo

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["ar", "uk", "fr"])
def test_my_duo_shows_the_next_meeting_in_the_reader_s_words(cast, client_as, language):
    duo = make_duo(cast)
    starts_at = timezone.now().replace(microsecond=0) + datetime.timedelta(days=30)
    Meeting.objects.create(duo=duo, starts_at=starts_at, status=Meeting.Status.PLANNED)
    with translation.override(language):
        page = client_as(cast.amina).get(reverse("duos:detail", args=[duo.pk])).content.decode()
    local = timezone.localtime(starts_at)
    assert babel_dates.format_date(local.date(), "full", locale=language) in page
    assert babel_dates.format_time(local.time(), "short", locale=language) in page
    month = Locale.parse(language).months["format"]["wide"][local.month]
    assert month in page  # "ديسمبر", "грудня" (genitive), "décembre"
