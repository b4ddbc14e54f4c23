"""What the test folders share: the one fake school, the test Redis, driving forms through the
test client. Test files import from here, never from each other."""
