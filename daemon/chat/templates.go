package chat

import (
	"context"

	"github.com/meeboter/meeboter/daemon/domain"
	"github.com/meeboter/meeboter/store"
)

// CreateTemplate stores a template of userID.
func (s *Service) CreateTemplate(ctx context.Context, userID int64, name string, messages []string) (store.Template, error) {
	if err := validateTemplate(name, messages); err != nil {
		return store.Template{}, err
	}
	now := s.now()
	return s.store.CreateTemplate(ctx, store.Template{UserID: userID, Name: name, Messages: messages, CreatedAt: now, UpdatedAt: now})
}

// Template loads one of userID's templates.
func (s *Service) Template(ctx context.Context, userID, id int64) (store.Template, error) {
	t, err := s.store.GetTemplate(ctx, userID, id)
	return t, domain.NotFoundIf(err, "template")
}

// Templates pages userID's templates, newest first.
func (s *Service) Templates(ctx context.Context, userID int64, p store.Page) ([]store.Template, error) {
	return s.store.ListTemplates(ctx, userID, p)
}

// UpdateTemplate replaces a template's name and messages.
func (s *Service) UpdateTemplate(ctx context.Context, t store.Template, name string, messages []string) (store.Template, error) {
	if err := validateTemplate(name, messages); err != nil {
		return store.Template{}, err
	}
	t.Name, t.Messages, t.UpdatedAt = name, messages, s.now()
	return s.store.UpdateTemplate(ctx, t)
}

// DeleteTemplate deletes a template.
func (s *Service) DeleteTemplate(ctx context.Context, t store.Template) error {
	return s.store.DeleteTemplate(ctx, t.UserID, t.ID)
}

// History pages a bot's chat messages, oldest first.
func (s *Service) History(ctx context.Context, botID int64, p store.Page) ([]store.ChatMessage, error) {
	return s.store.ListChat(ctx, botID, p)
}
