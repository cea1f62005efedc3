/// Router module placeholder.
public enum RouterModule {}
