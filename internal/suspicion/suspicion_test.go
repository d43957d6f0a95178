package suspicion

import "testing"

func TestFires(t *testing.T) {
	d := Defaults()
	off := Thresholds{}
	tests := []struct {
		name     string
		th       Thresholds
		rule     string
		observed int64
		want     bool
	}{
		{"card testing at the threshold", d, CardTesting, 5, true},
		{"a couple of declines", d, CardTesting, 2, false},
		{"churn above", d, BookingChurn, 9, true},
		{"churn below", d, BookingChurn, 4, false},
		{"unpaid at", d, UnpaidHoard, 5, true},
		{"unpaid below", d, UnpaidHoard, 3, false},
		{"signups at", d, SignupBurst, 10, true},
		{"a family", d, SignupBurst, 3, false},
		{"a large refund", d, LargeRefund, 20000, true},
		{"a lesson's refund", d, LargeRefund, 4000, false},
		{"a rule turned off", off, CardTesting, 1000, false},
		{"an unknown rule", d, "nope", 1000, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.th.Fires(tt.rule, tt.observed); got != tt.want {
				t.Errorf("Fires(%s, %d) = %v, want %v", tt.rule, tt.observed, got, tt.want)
			}
		})
	}
	for name, r := range Rules {
		if r.Name != name {
			t.Errorf("rule %s names itself %s", name, r.Name)
		}
	}
	if Rules[CardTesting].Holds != HoldCheckout {
		t.Error("card testing holds checkout")
	}
}
