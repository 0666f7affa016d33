package notify

import (
	"log/slog"
	"strings"
	"time"
)

// Config configures a Worker. Zero fields take the defaults noted.
type Config struct {
	// PublicURL is the base of every link in a message, e.g.
	// "https://convene.example.com". Never taken from a request.
	PublicURL string
	Email     EmailSender // nil means LogSender
	SMS       SMSSender   // nil means LogSender
	Logger    *slog.Logger

	PollInterval time.Duration // between polls when idle; 1 s
	BatchSize    int           // jobs claimed per poll; 10
	Lease        time.Duration // how long a claimed job is ours; 2 min
	SendTimeout  time.Duration // bound on one send; 30 s (keep it under Lease)
	MaxAttempts  int           // then the job fails for good; 8
	Backoff      time.Duration // before the 2nd attempt, doubling; 30 s
	MaxBackoff   time.Duration // cap of the doubling; 1 h

	Now func() time.Time // the clock; time.Now
}

func (c *Config) setDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.PollInterval, time.Second)
	def(&c.Lease, 2*time.Minute)
	def(&c.SendTimeout, 30*time.Second)
	def(&c.Backoff, 30*time.Second)
	def(&c.MaxBackoff, time.Hour)
	if c.BatchSize <= 0 {
		c.BatchSize = 10
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 8
	}
	if c.Email == nil {
		c.Email = LogSender{Logger: c.Logger}
	}
	if c.SMS == nil {
		c.SMS = LogSender{Logger: c.Logger}
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
}
