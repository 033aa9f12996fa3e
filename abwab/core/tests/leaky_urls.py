"""A copy of the project's routes plus one that forgets the gate, to show the isolation test catches it."""

from django.http import HttpResponse
from django.urls import path

from abwab.territory.models import Office
from abwab.urls import urlpatterns as project_urlpatterns


def leaky_office(request, pk):
    office = Office.objects.get(pk=pk)  # the bug: no get_visible_or_404
    return HttpResponse(office.name_fr)


urlpatterns = [*project_urlpatterns, path("leak/<int:pk>/", leaky_office, name="leaky_office")]
