from django.views.generic import DetailView, ListView

from .models import ActionPlan


class PlanListView(ListView):
    paginate_by = 25

    def get_queryset(self):
        return ActionPlan.objects.visible_to(self.request.user).select_related("member")


class PlanDetailView(DetailView):
    def get_queryset(self):
        # Drafts of other members answer 404, as if they did not exist.
        return (
            ActionPlan.objects.visible_to(self.request.user)
            .select_related("member")
            .prefetch_related("policy_areas")
        )
