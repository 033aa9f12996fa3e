"""Password reset by email (Django's PasswordReset* views with our templates), throttled per email
address and client address, answering the same whether or not an account has that address; and
the password change page. Each change sends the account holder a notice."""

from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy

from abwab.accounts import throttle
from abwab.accounts.notices import password_changed_notice, password_reset_email, reset_allowed


class ResetForm(auth_forms.PasswordResetForm):
    """Django's form, sending through the messaging engine with a link on the site's address."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        password_reset_email(context["user"])


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = ResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        address = throttle.client_address(self.request)
        if reset_allowed(email=form.cleaned_data["email"], address=address):
            return super().form_valid(form)
        # Throttled: the same page as a sent link, so the answer tells nothing about the address.
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed_notice(form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        from django.contrib import messages
        from django.utils.translation import gettext as _

        response = super().form_valid(form)
        password_changed_notice(form.user)
        messages.success(self.request, _("Your password was changed."))
        return response
