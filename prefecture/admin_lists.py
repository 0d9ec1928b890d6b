"""Admin change lists that answer a date out of Python's range like any other wrong filter."""

from django.contrib.admin.options import IncorrectLookupParameters


class SafeDateListMixin:
    """For a model admin with date_hierarchy or date filters.

    Django builds the bounds of a drill-down year, month or day itself (year 9999
    has no year after it), and sends filter dates to the database in UTC (the
    first of January of year 1 in Paris has no UTC): both raise, which gave a
    500. They now take Django's path for wrong filters: back to the list, with
    its error flag.
    """

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error
