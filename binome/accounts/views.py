from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from binome.accounts import forms, throttle


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = forms.EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs) -> HttpResponse:
        if throttle.address_throttled(request):
            # Refused before the password is checked: from here on, guesses teach nothing.
            form = self.get_form_class()(request)
            context = self.get_context_data(form=form, throttled=True)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form) -> HttpResponse:
        throttle.address_failed(self.request)
        return super().form_invalid(form)
