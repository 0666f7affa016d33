package httpd

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"convene"
)

// metrics are the server's Prometheus metrics, in a registry of its own.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	pairs    *prometheus.CounterVec
	batches  prometheus.Counter
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "convene_http_requests_total",
			Help: "HTTP requests answered, by method, route pattern and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "convene_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by method and route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route"}),
		pairs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "convene_bulk_grant_pairs_total",
			Help: "Person x session pairs decided by multi-invites, by outcome.",
		}, []string{"outcome"}),
		batches: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "convene_bulk_grant_batches_total",
			Help: "Multi-invites applied (replays not counted).",
		}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.pairs, m.batches,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) observe(method, route string, status int, took time.Duration) {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
	default:
		method = "OTHER" // a client chooses the method: keep label values few
	}
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(method, route).Observe(took.Seconds())
}

func (m *metrics) batch(b *convene.Batch) {
	m.batches.Inc()
	m.pairs.WithLabelValues(string(convene.OutcomeAdded)).Add(float64(b.Counts.Added))
	m.pairs.WithLabelValues(string(convene.OutcomeUpgraded)).Add(float64(b.Counts.Upgraded))
	m.pairs.WithLabelValues(string(convene.OutcomeUnchanged)).Add(float64(b.Counts.Unchanged))
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}
