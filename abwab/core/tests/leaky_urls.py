"""A copy of the project's routes plus two that forget the gate, to show the isolation tests catch
them: a read (an office by its id) and a write (renaming the office a form names)."""

from django.http import HttpResponse
from django.urls import path

from abwab.people.models import Person
from abwab.territory.models import Office
from abwab.urls import urlpatterns as project_urlpatterns


def leaky_office(request, pk):
    office = Office.objects.get(pk=pk)  # the bug: no get_visible_or_404
    return HttpResponse(office.name_fr)


def leaky_office_rename(request):
    office = Office.objects.get(pk=request.POST["office"])  # the bug: the posted id is not gated
    office.name_fr = "renamed"
    office.save()
    names = Person.objects.filter(territory=office.territory).values_list("last_name_latin")
    return HttpResponse(", ".join(name for (name,) in names))


urlpatterns = [
    *project_urlpatterns,
    path("leak/<int:pk>/", leaky_office, name="leaky_office"),
    path("leak/rename/", leaky_office_rename, name="leaky_office_rename"),
]
