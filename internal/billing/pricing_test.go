package billing

import "testing"

func TestPackagePrice(t *testing.T) {
	tests := []struct {
		name            string
		price, discount int64
		want            int64
	}{
		{"no discount", 1000, 0, 1000},
		{"15 percent", 1000, 15, 850},
		{"849.15 rounds down", 999, 15, 849},
		{"500.5 rounds up", 1001, 50, 501},
		{"maximum allowed discount", 1000, 90, 100},
		{"negative price is symmetric", -1001, 50, -501},
		{"discount above 100 clamps to free", 1000, 150, 0},
		{"negative discount clamps to none", 1000, -10, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PackagePrice(tt.price, tt.discount); got != tt.want {
				t.Errorf("PackagePrice(%d, %d) = %d, want %d", tt.price, tt.discount, got, tt.want)
			}
		})
	}
}

func TestLessonPrice(t *testing.T) {
	tests := []struct {
		name       string
		rate, mins int64
		want       int64
	}{
		{"one hour", 2500, 60, 2500},
		{"45 minutes exact", 2500, 45, 1875},
		{"2499.75 rounds up", 3333, 45, 2500},
		{"half hour at odd rate, 0.5 up", 2501, 30, 1251},
		{"20 minutes, 333.33 down", 1000, 20, 333},
		{"two hours", 3000, 120, 6000},
		{"zero minutes", 3000, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LessonPrice(tt.rate, tt.mins); got != tt.want {
				t.Errorf("LessonPrice(%d, %d) = %d, want %d", tt.rate, tt.mins, got, tt.want)
			}
		})
	}
}

func TestPackageRefund(t *testing.T) {
	tests := []struct {
		name                                                    string
		price, discount, lessons, unused, paid, alreadyRefunded int64
		want                                                    int64
	}{
		{"3 of 10 unused", 10000, 10, 10, 3, 9000, 0, 2700},
		{"capped by an earlier partial refund", 10000, 10, 10, 3, 9000, 7000, 2000},
		{"nothing left to refund", 10000, 10, 10, 3, 9000, 9000, 0},
		{"over-refunded already never goes negative", 10000, 10, 10, 3, 9000, 9500, 0},
		{"all unused gives back the whole charge", 1000, 0, 3, 3, 1000, 0, 1000},
		{"one third rounds down", 1000, 0, 3, 1, 1000, 0, 333},
		{"two thirds rounds up", 1000, 0, 3, 2, 1000, 0, 667},
		{"half a cent rounds up", 1001, 0, 2, 1, 1001, 0, 501},
		{"none unused", 1000, 0, 10, 0, 1000, 0, 0},
		{"unused above lessons is clamped", 1000, 0, 10, 12, 1000, 0, 1000},
		{"negative unused is clamped", 1000, 0, 10, -2, 1000, 0, 0},
		{"no lessons", 1000, 0, 0, 0, 1000, 0, 0},
		{"capped by a lower amount paid", 1000, 0, 10, 10, 800, 0, 800},
		{"only purchases.amount known", 8500, 0, 10, 4, 8500, 0, 3400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PackageRefund(tt.price, tt.discount, tt.lessons, tt.unused, tt.paid, tt.alreadyRefunded)
			if got != tt.want {
				t.Errorf("PackageRefund(%d, %d, %d, %d, %d, %d) = %d, want %d",
					tt.price, tt.discount, tt.lessons, tt.unused, tt.paid, tt.alreadyRefunded, got, tt.want)
			}
		})
	}
}

func TestCancelRefund(t *testing.T) {
	tests := []struct {
		name        string
		paid        int64
		by          CancelActor
		late        bool
		latePercent int64
		want        int64
	}{
		{"student in window", 5000, ByStudent, false, 0, 5000},
		{"student late, 0 percent", 5000, ByStudent, true, 0, 0},
		{"student late, 50 percent", 5000, ByStudent, true, 50, 2500},
		{"student late, 100 percent", 5000, ByStudent, true, 100, 5000},
		{"student late, 50 percent of odd amount rounds up", 4999, ByStudent, true, 50, 2500},
		{"student late, 33 percent rounds down", 1001, ByStudent, true, 33, 330},
		{"tutor in window", 5000, ByTutor, false, 0, 5000},
		{"tutor late still full", 5000, ByTutor, true, 0, 5000},
		{"admin in window", 5000, ByAdmin, false, 50, 5000},
		{"admin late still full", 5000, ByAdmin, true, 50, 5000},
		{"unknown actor treated as student", 5000, CancelActor(9), true, 0, 0},
		{"percent above 100 clamped", 5000, ByStudent, true, 150, 5000},
		{"negative percent clamped", 5000, ByStudent, true, -10, 0},
		{"nothing paid", 0, ByTutor, false, 0, 0},
		{"negative paid", -100, ByTutor, false, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CancelRefund(tt.paid, tt.by, tt.late, tt.latePercent); got != tt.want {
				t.Errorf("CancelRefund(%d, %v, %v, %d) = %d, want %d", tt.paid, tt.by, tt.late, tt.latePercent, got, tt.want)
			}
		})
	}
}

func TestCreditRestored(t *testing.T) {
	tests := []struct {
		by   CancelActor
		late bool
		want bool
	}{
		{ByStudent, false, true},
		{ByStudent, true, false},
		{ByTutor, false, true},
		{ByTutor, true, true},
		{ByAdmin, false, true},
		{ByAdmin, true, true},
		{CancelActor(9), true, false},
	}
	for _, tt := range tests {
		name := tt.by.String()
		if tt.late {
			name += " late"
		}
		t.Run(name, func(t *testing.T) {
			if got := CreditRestored(tt.by, tt.late); got != tt.want {
				t.Errorf("CreditRestored(%v, %v) = %v, want %v", tt.by, tt.late, got, tt.want)
			}
		})
	}
}

func TestCancelActorString(t *testing.T) {
	tests := []struct {
		by   CancelActor
		want string
	}{
		{ByStudent, "student"},
		{ByTutor, "tutor"},
		{ByAdmin, "admin"},
		{CancelActor(-1), "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.by.String(); got != tt.want {
				t.Errorf("CancelActor(%d).String() = %q, want %q", int(tt.by), got, tt.want)
			}
		})
	}
}
