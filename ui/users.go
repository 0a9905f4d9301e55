package ui

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/parley/parley/auth"
	"github.com/parley/parley/domain"
)

// errNotAdmin refuses the user pages to viewers and editors.
var errNotAdmin = echo.NewHTTPError(http.StatusForbidden, "Only an administrator can manage users.")

// requireAdmin lets only admins through: they alone manage users.
func (srv *server) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if u := currentUser(c); u == nil || !u.Can(domain.RoleAdmin) {
			return errNotAdmin
		}
		return next(c)
	}
}

// userInput is one input of the user forms, with what was typed (never a
// password) and the errors that belong beside it.
type userInput struct {
	ID     string
	Value  string
	Errors []string
}

// userForm is the "add a user" form, or one user's role or password form.
type userForm struct {
	Username userInput
	Role     userInput
	Password userInput
	// Problem is a refusal that belongs to no one field (the last admin).
	Problem string
}

// hasErrors reports whether anything in the form was refused.
func (f userForm) hasErrors() bool {
	return f.Problem != "" || len(f.Username.Errors)+len(f.Role.Errors)+len(f.Password.Errors) > 0
}

// place puts each field error beside its input; any other goes on top.
func (f *userForm) place(errs domain.FieldErrors) {
	for _, fe := range errs {
		switch fe.Field {
		case "username":
			f.Username.Errors = append(f.Username.Errors, fe.Message)
		case "role":
			f.Role.Errors = append(f.Role.Errors, fe.Message)
		case "password":
			f.Password.Errors = append(f.Password.Errors, fe.Message)
		default:
			f.Problem = fe.Message
		}
	}
}

// roleOptions are the role select's options with the current one selected.
func roleOptions(selected string) []option {
	roles := domain.Roles().Strings()
	out := make([]option, len(roles))
	for i, r := range roles {
		out[i] = option{Value: r, Label: r, Selected: r == selected}
	}
	return out
}

type usersData struct {
	Users []domain.User
	Self  string
	Add   userForm
	Roles []option
}

// newUserForm is the empty "add a user" form: new accounts read only until
// an admin decides otherwise.
func newUserForm() userForm {
	return userForm{
		Username: userInput{ID: "new-username"},
		Role:     userInput{ID: "new-role", Value: string(domain.RoleViewer)},
		Password: userInput{ID: "new-password"},
	}
}

func (srv *server) userList(c echo.Context) error {
	return srv.renderUsers(c, http.StatusOK, newUserForm())
}

func (srv *server) renderUsers(c echo.Context, status int, add userForm) error {
	users, err := srv.store.ListUsers(c.Request().Context())
	if err != nil {
		return err
	}
	v := srv.newView(c, "Users", crumb{"Negotiations", "/"})
	v.Data = usersData{Users: users, Self: v.User.ID, Add: add, Roles: roleOptions(add.Role.Value)}
	return srv.render(c, status, "users", v)
}

// createUser adds an account. A refusal shows the form again with the
// errors beside their fields and the name and role as typed; the password
// is never sent back.
func (srv *server) createUser(c echo.Context) error {
	form := c.Request().PostForm
	f := newUserForm()
	f.Username.Value = strings.TrimSpace(form.Get("username"))
	f.Role.Value = form.Get("role")
	password := form.Get("password")
	if errs := domain.ValidateUser(f.Username.Value, password, f.Role.Value); len(errs) > 0 {
		f.place(errs)
		return srv.renderUsers(c, http.StatusUnprocessableEntity, f)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	u, err := srv.store.CreateUser(c.Request().Context(), f.Username.Value, hash, domain.Role(f.Role.Value))
	var ce *domain.ConflictError
	if errors.As(err, &ce) {
		f.place(domain.FieldErrors{{Field: ce.Field, Message: "is already taken"}})
		return srv.renderUsers(c, http.StatusConflict, f)
	}
	if err != nil {
		return err
	}
	return srv.redirectWithFlash(c, "/users", fmt.Sprintf("Added the %s “%s”.", u.Role, u.Username))
}

// loadUser reads the user named in the path; a malformed id is simply not
// found.
func (srv *server) loadUser(c echo.Context) (*domain.User, error) {
	id := c.Param("id")
	if !looksLikeID(id) {
		return nil, &domain.NotFoundError{Kind: "users", ID: id}
	}
	return srv.store.UserByID(c.Request().Context(), strings.ToLower(id))
}

type userData struct {
	User     *domain.User
	Self     bool
	RoleForm userForm
	PassForm userForm
	Roles    []option
}

// userPage shows one user's role and password forms.
func (srv *server) userPage(c echo.Context) error {
	u, err := srv.loadUser(c)
	if err != nil {
		return err
	}
	return srv.renderUser(c, http.StatusOK, u, userForm{}, userForm{})
}

func (srv *server) renderUser(c echo.Context, status int, u *domain.User, roleForm, passForm userForm) error {
	roleForm.Role.ID, passForm.Password.ID = "role", "password"
	if roleForm.Role.Value == "" {
		roleForm.Role.Value = string(u.Role)
	}
	v := srv.newView(c, "User "+u.Username, crumb{"Negotiations", "/"}, crumb{"Users", "/users"})
	v.Data = userData{User: u, Self: u.ID == v.User.ID, RoleForm: roleForm, PassForm: passForm, Roles: roleOptions(roleForm.Role.Value)}
	return srv.render(c, status, "user", v)
}

// setRole changes a user's role; demoting the last admin is refused with
// the reason on the page.
func (srv *server) setRole(c echo.Context) error {
	u, err := srv.loadUser(c)
	if err != nil {
		return err
	}
	var f userForm
	f.Role.Value = c.Request().PostForm.Get("role")
	if errs := domain.ValidateRole(f.Role.Value); len(errs) > 0 {
		f.place(errs)
		return srv.renderUser(c, http.StatusUnprocessableEntity, u, f, userForm{})
	}
	changed, err := srv.store.SetRole(c.Request().Context(), u.ID, domain.Role(f.Role.Value))
	var ce *domain.ConflictError
	if errors.As(err, &ce) {
		f.Role.Errors = append(f.Role.Errors, ce.Detail)
		return srv.renderUser(c, http.StatusConflict, u, f, userForm{})
	}
	if err != nil {
		return err
	}
	to := "/users"
	if changed.ID == currentUser(c).ID && !changed.Can(domain.RoleAdmin) {
		// Having stepped down, this user may no longer see the user list.
		to = "/"
	}
	return srv.redirectWithFlash(c, to, fmt.Sprintf("%s is now %s.", changed.Username, changed.Role))
}

// setPassword gives a user a new password, which ends every one of their
// sign-ins (the admin's own session too, if it is their own).
func (srv *server) setPassword(c echo.Context) error {
	u, err := srv.loadUser(c)
	if err != nil {
		return err
	}
	password := c.Request().PostForm.Get("password")
	if errs := domain.ValidatePassword(password); len(errs) > 0 {
		var f userForm
		f.place(errs)
		return srv.renderUser(c, http.StatusUnprocessableEntity, u, userForm{}, f)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	if err := srv.store.SetPassword(c.Request().Context(), u.Username, hash); err != nil {
		return err
	}
	if u.ID == currentUser(c).ID {
		srv.setCookie(c, sessionCookie, "", 0)
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	return srv.redirectWithFlash(c, "/users", fmt.Sprintf("Set a new password for %s; their sign-ins have ended.", u.Username))
}

func (srv *server) userDeleteData(u *domain.User) deleteData {
	return deleteData{
		Noun: "user", Label: u.Username, Version: u.Version,
		Action: "/users/" + u.ID + "/delete", Cancel: "/users",
		Note: "Their sign-ins end at once.",
	}
}

// userDeleteConfirm asks before deleting, as every delete does.
func (srv *server) userDeleteConfirm(c echo.Context) error {
	u, err := srv.loadUser(c)
	if err != nil {
		return err
	}
	v := srv.newView(c, "Delete user "+u.Username, crumb{"Negotiations", "/"}, crumb{"Users", "/users"})
	v.Data = srv.userDeleteData(u)
	return srv.render(c, http.StatusOK, "delete", v)
}

func (srv *server) deleteUser(c echo.Context) error {
	u, err := srv.loadUser(c)
	if err != nil {
		return err
	}
	err = srv.store.DeleteUser(c.Request().Context(), u.ID)
	var ce *domain.ConflictError
	if errors.As(err, &ce) {
		d := srv.userDeleteData(u)
		d.Problem = ce.Detail
		v := srv.newView(c, "Delete user "+u.Username, crumb{"Negotiations", "/"}, crumb{"Users", "/users"})
		v.Data = d
		return srv.render(c, http.StatusConflict, "delete", v)
	}
	if err != nil {
		return err
	}
	if u.ID == currentUser(c).ID {
		srv.setCookie(c, sessionCookie, "", 0)
		return c.Redirect(http.StatusSeeOther, "/login")
	}
	return srv.redirectWithFlash(c, "/users", fmt.Sprintf("Deleted the user “%s”.", u.Username))
}
