import datetime as dt
import zoneinfo

from ogp_portal.organisations.models import Member


def test_a_members_zone_is_its_time_zone():
    member = Member(time_zone="Asia/Kathmandu")

    assert member.zone == zoneinfo.ZoneInfo("Asia/Kathmandu")
    offset = dt.datetime(2026, 1, 1, tzinfo=member.zone).utcoffset()
    assert offset == dt.timedelta(hours=5, minutes=45)
