package api

import (
	"context"

	"convene"
	"convene/internal/httpd"
)

// MessageJSON is one message of a session's discussion.
type MessageJSON struct {
	ID        string    `json:"id" example:"9"`
	Body      string    `json:"body"`
	Author    *UserJSON `json:"author"`
	CreatedAt string    `json:"created_at" format:"date-time"`
}

type listMessagesInput struct {
	ID     string `path:"id" maxLength:"40"`
	Limit  int    `query:"limit" minimum:"0" maximum:"100" doc:"page size, 50 by default"`
	Cursor string `query:"cursor" maxLength:"200" doc:"the next_cursor of the previous page"`
	Order  string `query:"order" enum:"oldest,newest" default:"oldest" doc:"oldest first (the contract's order), or newest first, each page going further back: the discussion's latest messages on its first page"`
}

type postMessageInput struct {
	ID   string `path:"id" maxLength:"40"`
	Body struct {
		Body string `json:"body" minLength:"1" maxLength:"10000"`
	}
}

type messagePath struct {
	ID        string `path:"id" maxLength:"40"`
	MessageID string `path:"message_id" maxLength:"40"`
}

type messageOutput struct{ Body MessageJSON }

func messageView(m *convene.Message, a convene.Actor) MessageJSON {
	return MessageJSON{ID: httpd.FormatID(m.ID), Body: m.Body, Author: person(m.Author, m.AuthorID, a), CreatedAt: timeJSON(m.CreatedAt)}
}

func (s *Server) listMessages(ctx context.Context, in *listMessagesInput) (*pageOutput[MessageJSON], error) {
	a, x, err := s.Session(ctx, in.ID, convene.PermReadContent)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	find := s.store.FindMessages
	if in.Order == "newest" {
		find = s.store.FindRecentMessages
	}
	msgs, next, err := find(ctx, x.ID, in.Limit, in.Cursor)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return pageOf(msgs, next, func(m *convene.Message) MessageJSON { return messageView(m, a) }), nil
}

func (s *Server) postMessage(ctx context.Context, in *postMessageInput) (*messageOutput, error) {
	a, x, err := s.Session(ctx, in.ID, convene.PermWriteContent)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	m := &convene.Message{SessionID: x.ID, Body: in.Body.Body}
	if err := s.store.PostMessage(ctx, m); err != nil {
		return nil, s.Err(ctx, err)
	}
	return &messageOutput{messageView(m, a)}, nil
}

func (s *Server) deleteMessage(ctx context.Context, in *messagePath) (*struct{}, error) {
	_, x, err := s.Session(ctx, in.ID, convene.PermReadContent)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	mid, err := httpd.PathID(in.MessageID, "message")
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return nil, s.Err(ctx, s.store.DeleteMessage(ctx, x.ID, mid))
}
