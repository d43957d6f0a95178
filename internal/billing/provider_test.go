package billing

import "testing"

func TestAccountStatus(t *testing.T) {
	for _, tt := range []struct {
		in   AccountStatus
		want string
	}{
		{AccountStatus{}, PayoutDetailsNeeded},
		{AccountStatus{DetailsSubmitted: true}, PayoutPending},
		{AccountStatus{DetailsSubmitted: true, PayoutsEnabled: true}, PayoutEnabled},
		{AccountStatus{PayoutsEnabled: true}, PayoutEnabled},
	} {
		if got := tt.in.Status(); got != tt.want {
			t.Errorf("%+v.Status() = %q, want %q", tt.in, got, tt.want)
		}
	}
}
