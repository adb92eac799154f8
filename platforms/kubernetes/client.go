package kubernetes

import (
	"fmt"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// RESTConfig finds the cluster the way the original server did: in-cluster
// credentials when running in a pod (KUBERNETES_SERVICE_HOST is set), else
// the kubeconfig file at K8S_KUBECONFIG, else the standard kubeconfig
// loading rules ($KUBECONFIG, then ~/.kube/config).
func RESTConfig(getenv func(string) string) (*rest.Config, error) {
	cfg, err := loadRESTConfig(getenv)
	if err != nil {
		return nil, fmt.Errorf("kubernetes config: %w", err)
	}
	// client-go's default of 5 requests per second throttles a burst of
	// deploys (two calls each) long before the API server would.
	cfg.QPS, cfg.Burst = 20, 50
	return cfg, nil
}

func loadRESTConfig(getenv func(string) string) (*rest.Config, error) {
	if getenv("KUBERNETES_SERVICE_HOST") != "" {
		return rest.InClusterConfig()
	}
	if path := getenv("K8S_KUBECONFIG"); path != "" {
		return clientcmd.BuildConfigFromFlags("", path)
	}
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	return clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{}).ClientConfig()
}

// NewClientset builds a clientset from RESTConfig.
func NewClientset(getenv func(string) string) (kubernetes.Interface, error) {
	cfg, err := RESTConfig(getenv)
	if err != nil {
		return nil, err
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("kubernetes client: %w", err)
	}
	return cs, nil
}
