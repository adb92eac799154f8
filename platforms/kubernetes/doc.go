// Package kubernetes runs bots as Kubernetes Jobs, one batch/v1 Job per bot.
//
// Deploy creates the Job (and a per-bot Secret for the bot's credentials)
// and returns at once; it never waits for a pod, because image pulls can
// take minutes and the daemon tracks progress on its own. Status, List and
// Watch read Jobs and their pods from an informer cache filtered by the
// app.kubernetes.io/managed-by=meeboter label, so the daemon's
// reconciliation costs no API calls per bot, and a pod that can never start
// (a bad image, an OOM kill) is pushed to the daemon within seconds through
// Watch instead of being found by a deploy timeout.
//
// Stop is the hard stop: it deletes the Job, and Kubernetes gives the pod
// Config.StopGrace to exit. Asking the bot to leave the call first, through
// its heartbeat, is the daemon's job and happens before Stop.
//
// This is the only package that imports client-go, and it imports only
// the REST client, the informer machinery and the core/v1 and batch/v1
// types (see Client), not the generated clientset.
package kubernetes
