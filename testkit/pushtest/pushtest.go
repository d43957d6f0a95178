// Package pushtest is a fake Web Push service for tests: an httptest
// server that plays a browser vendor's push service and the device behind
// it. It checks what a real one checks, with real cryptography: the VAPID
// JWT of every message (ES256 signature by the key in the Authorization
// header, the audience, the expiry, the subject; RFC 8292) against the
// school's public key, and it decrypts the aes128gcm body (RFC 8188/8291)
// with the device's private key and auth secret. Each device can be told
// how to answer (201, 404, 410, 500, ...).
package pushtest

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Device is a browser's push subscription, with the private half the
// device keeps.
type Device struct {
	ID           string
	Endpoint     string
	P256dh, Auth string // base64url, as PushSubscription.toJSON writes them
	key          *ecdh.PrivateKey
	auth         []byte
}

// Message is one push the service accepted or refused.
type Message struct {
	Device  string // Device.ID
	Status  int    // what the service answered
	Payload []byte // the decrypted message (nil when it could not be read)
	Err     string // why the message was refused ("" for a valid one)
	Subject string // the JWT's sub claim
	TTL     string
	Urgency string
}

// Service is the fake push service.
type Service struct {
	URL       string
	vapid     string // the school's public key the JWT must be signed with
	mu        sync.Mutex
	devices   map[string]*Device
	answers   map[string][]int
	delivered []Message
}

// Start runs a push service for messages signed with the VAPID public key
// vapidPublic (base64url); it stops when the test ends.
func Start(t testing.TB, vapidPublic string) *Service {
	s := &Service{vapid: vapidPublic, devices: map[string]*Device{}, answers: map[string][]int{}}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// NewDevice subscribes a new device: fresh P-256 keys and auth secret.
func (s *Service) NewDevice(t testing.TB) *Device {
	key, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	auth := make([]byte, 16)
	_, _ = rand.Read(auth)
	id := fmt.Sprintf("dev%x", auth[:6])
	d := &Device{ID: id, Endpoint: s.URL + "/push/" + id, key: key, auth: auth,
		P256dh: base64.RawURLEncoding.EncodeToString(key.PublicKey().Bytes()), Auth: base64.RawURLEncoding.EncodeToString(auth)}
	s.mu.Lock()
	s.devices[id] = d
	s.mu.Unlock()
	return d
}

// Answer makes the service answer the next messages to d with these
// statuses, in order (then 201 again).
func (s *Service) Answer(d *Device, statuses ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answers[d.ID] = append(s.answers[d.ID], statuses...)
}

// Messages returns every message received so far.
func (s *Service) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.delivered...)
}

func (s *Service) serve(w http.ResponseWriter, r *http.Request) {
	id, _ := strings.CutPrefix(r.URL.Path, "/push/")
	s.mu.Lock()
	d := s.devices[id]
	s.mu.Unlock()
	m := Message{Device: id, TTL: r.Header.Get("TTL"), Urgency: r.Header.Get("Urgency")}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8192))
	var err error
	switch {
	case r.Method != http.MethodPost || d == nil:
		m.Status, err = http.StatusNotFound, errors.New("no such subscription")
	case r.Header.Get("Content-Encoding") != "aes128gcm" || m.TTL == "":
		m.Status, err = http.StatusBadRequest, errors.New("missing Content-Encoding aes128gcm or TTL")
	default:
		if m.Subject, err = s.checkVAPID(r.Header.Get("Authorization"), "http://"+r.Host); err != nil {
			m.Status = http.StatusForbidden
		} else if m.Payload, err = d.decrypt(body); err != nil {
			m.Status = http.StatusBadRequest
		} else {
			m.Status = http.StatusCreated
		}
	}
	if err != nil {
		m.Err = err.Error()
	}
	s.mu.Lock()
	if m.Status == http.StatusCreated && len(s.answers[id]) > 0 {
		m.Status, s.answers[id] = s.answers[id][0], s.answers[id][1:]
	}
	s.delivered = append(s.delivered, m)
	s.mu.Unlock()
	if m.Status == http.StatusCreated {
		w.Header().Set("Location", s.URL+"/messages/"+fmt.Sprint(time.Now().UnixNano()))
	}
	w.WriteHeader(m.Status)
	_, _ = io.WriteString(w, m.Err)
}

// checkVAPID verifies an "Authorization: vapid t=<JWT>, k=<key>" header:
// k is the school's key, the JWT is ES256-signed by it, for this origin,
// not expired, expiring within 24 hours, with a contact subject. It
// returns the subject.
func (s *Service) checkVAPID(header, origin string) (string, error) {
	rest, ok := strings.CutPrefix(header, "vapid ")
	if !ok {
		return "", errors.New("not a vapid authorization")
	}
	params := map[string]string{}
	for _, p := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		params[k] = v
	}
	if params["k"] != s.vapid {
		return "", errors.New("signed with another key than the school's")
	}
	raw, err := base64.RawURLEncoding.DecodeString(params["k"])
	if err != nil {
		return "", err
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), raw)
	if err != nil {
		return "", err
	}
	parts := strings.Split(params["t"], ".")
	if len(parts) != 3 {
		return "", errors.New("not a JWT")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return "", errors.New("not an ES256 signature")
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if !ecdsa.Verify(pub, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
		return "", errors.New("bad JWT signature")
	}
	var head struct{ Alg string }
	var claims struct {
		Aud, Sub string
		Exp      int64
	}
	if err := decodeSegment(parts[0], &head); err != nil || head.Alg != "ES256" {
		return "", errors.New("not an ES256 JWT")
	}
	if err := decodeSegment(parts[1], &claims); err != nil {
		return "", err
	}
	exp := time.Unix(claims.Exp, 0)
	switch {
	case claims.Aud != origin:
		return "", fmt.Errorf("audience %q, want %q", claims.Aud, origin)
	case time.Until(exp) <= 0 || time.Until(exp) > 24*time.Hour:
		return "", errors.New("expiry not within 24 hours")
	case !strings.HasPrefix(claims.Sub, "mailto:") && !strings.HasPrefix(claims.Sub, "https://"):
		return "", fmt.Errorf("subject %q is no contact", claims.Sub)
	}
	return claims.Sub, nil
}

func decodeSegment(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// decrypt reads an aes128gcm body (RFC 8188) encrypted for d (RFC 8291):
// salt, record size, the sender's key, then one record.
func (d *Device) decrypt(body []byte) ([]byte, error) {
	if len(body) < 21 {
		return nil, errors.New("body too short")
	}
	salt, rs, idLen := body[:16], binary.BigEndian.Uint32(body[16:20]), int(body[20])
	if len(body) < 21+idLen || idLen != 65 {
		return nil, errors.New("no sender key in the header")
	}
	senderRaw, record := body[21:21+idLen], body[21+idLen:]
	if uint32(len(record)) > rs {
		return nil, errors.New("more than one record")
	}
	sender, err := ecdh.P256().NewPublicKey(senderRaw)
	if err != nil {
		return nil, err
	}
	shared, err := d.key.ECDH(sender)
	if err != nil {
		return nil, err
	}
	info := append(append([]byte("WebPush: info\x00"), d.key.PublicKey().Bytes()...), senderRaw...)
	ikm, err := hkdf.Key(sha256.New, shared, d.auth, string(info), 32)
	if err != nil {
		return nil, err
	}
	cek, err := hkdf.Key(sha256.New, ikm, salt, "Content-Encoding: aes128gcm\x00", 16)
	if err != nil {
		return nil, err
	}
	nonce, err := hkdf.Key(sha256.New, ikm, salt, "Content-Encoding: nonce\x00", 12)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	plain, err := gcm.Open(nil, nonce, record, nil)
	if err != nil {
		return nil, fmt.Errorf("decrypt: %w", err)
	}
	// the last record ends with the delimiter 2, then zero padding
	end := bytes.LastIndexByte(bytes.TrimRight(plain, "\x00"), 2)
	if end < 0 || end != len(bytes.TrimRight(plain, "\x00"))-1 {
		return nil, errors.New("no last-record delimiter")
	}
	return plain[:end], nil
}
