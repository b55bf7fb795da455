"""The ledger of a plan's inputs, under /plans/<plan_pk>/inputs/."""

from django.urls import path

from ogp_portal.core.page_cache import public_page

from .page_scopes import ledger_page_scopes
from .views import ledger

app_name = "ledger"

urlpatterns = [
    # Anonymous readers get the list from the page cache until the plan's ledger changes.
    path("", public_page(ledger.input_list, ledger_page_scopes), name="input-list"),
    path("inputs.csv", ledger.input_csv, name="input-csv"),
    path("record/", ledger.InputRecordView.as_view(), name="input-record"),
    path("respond/", ledger.ResponseDraftView.as_view(), name="response-draft"),
    path("responses/<int:pk>/", ledger.response_detail, name="response-detail"),
    path("responses/<int:pk>/edit/", ledger.ResponseEditView.as_view(), name="response-edit"),
    path("responses/<int:pk>/<str:action>/", ledger.response_action, name="response-action"),
    path("<int:pk>/", ledger.input_detail, name="input-detail"),
]
